"""Names, streets and schools for the demo school: a mix of backgrounds like a British city.

Plain data only. Every family draws its names from one background (or two, for a family with
parents of different backgrounds), so brothers, sisters and parents sound like one family.
Children's names are recent ones; parents' and grandparents' names are a generation older.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Background:
    """Names that go together, and the religious festival (if any) families may observe."""

    key: str
    weight: float
    girls: tuple[str, ...]
    boys: tuple[str, ...]
    surnames: tuple[str, ...]
    women: tuple[str, ...]
    men: tuple[str, ...]
    elders_f: tuple[str, ...]
    elders_m: tuple[str, ...]
    festival: str | None = None


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BACKGROUNDS: tuple[Background, ...] = (
    Background(
        "british",
        52.0,
        _t(
            "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Evie Poppy "
            "Ella Millie Daisy Harper Florence Willow Ruby Emily Phoebe Matilda Elsie Charlotte "
            "Sienna Jessica Eleanor Holly Megan Chloe Lucy Erin Niamh Ffion Cerys Eilidh Maisie "
            "Esme Hallie Darcie Lexi Aria Violet Bonnie"
        ),
        _t(
            "Oliver George Noah Arthur Leo Oscar Harry Theo Jack Charlie Freddie Alfie Thomas "
            "William Archie Henry Joshua James Jacob Max Lucas Finley Samuel Reuben Tommy Dylan "
            "Callum Rhys Owen Lewis Connor Kieran Ewan Riley Mason Harvey Toby Ethan Logan "
            "Albie Teddy Ronnie Jenson Louie Alexander Frankie"
        ),
        _t(
            "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
            "Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner "
            "Hill Moore Cooper Ward Morris King Watson Harrison Morgan Baker Parker Bennett "
            "Cook Collins Price Shaw Lloyd Murphy O'Brien Kelly Campbell Stewart MacDonald "
            "Fraser Pritchard Griffiths Bell Foster Marshall Chapman Holmes Barnes Fletcher "
            "Pearson Atkinson Lawrence Doherty McCarthy Gallagher Rowley Bradley Jenkins"
        ),
        _t(
            "Sarah Emma Laura Rebecca Claire Gemma Kelly Nicola Lisa Hannah Stacey Charlotte "
            "Jennifer Rachel Amy Katie Louise Joanne Victoria Danielle Kirsty Leanne Siobhan"
        ),
        _t(
            "David James Daniel Mark Paul Craig Lee Richard Matthew Andrew Christopher Stephen "
            "Michael Jamie Ryan Adam Gareth Scott Dean Simon Liam Carl Darren"
        ),
        _t("Margaret Susan Linda Patricia Carol Janet Jean Christine Sandra Pauline"),
        _t("John Peter Robert Keith Brian Alan Graham Terry Kevin Colin"),
    ),
    Background(
        "pakistani",
        11.0,
        _t(
            "Aisha Maryam Zainab Fatima Hafsa Inaaya Amira Zara Safa Khadija Aleena Noor Hania "
            "Manha Eman Aleeza Mahnoor Haniya Sana Alishba Hiba Iqra"
        ),
        _t(
            "Muhammad Mohammed Ibrahim Yusuf Zayan Ayaan Hamza Ali Musa Abdullah Rayyan Zain "
            "Arham Haris Bilal Umar Hassan Harris Zakariya Eesa Saad Idris"
        ),
        _t(
            "Khan Hussain Ahmed Ali Akhtar Iqbal Mahmood Shah Rehman Rashid Butt Malik "
            "Hameed Javed Aslam Yousaf Qureshi Mirza Raza Saleem Anwar"
        ),
        _t("Nadia Shazia Rubina Samina Farah Saima Nasreen Asma Sadia Ayesha Uzma Rizwana"),
        _t("Imran Asif Tariq Kamran Shahid Adnan Faisal Zahid Naveed Waqar Sajid Amjad"),
        _t("Zubaida Parveen Naseem Shamim Rukhsana"),
        _t("Abdul Mohammed Ghulam Mushtaq Nazir"),
        "eid",
    ),
    Background(
        "bangladeshi",
        4.0,
        _t("Sumaiya Tahmina Nusrat Raisa Ruqayyah Adiba Tasnim Safiya Ayesha Mariam Samiha"),
        _t("Rayan Tanvir Rahim Sami Ishaq Abir Nabil Rafi Ayan Labib Zayed Imran"),
        _t("Uddin Miah Islam Rahman Chowdhury Hoque Ahmed Alam Sarkar Hossain"),
        _t("Rokeya Shirin Jasmin Rumana Shapna Ruksana Salma Momtaz"),
        _t("Abdul Shamim Jamal Kamal Rafiq Mizanur Anwar Foysal"),
        _t("Halima Rahima Jahanara"),
        _t("Abdul Nurul Siraj"),
        "eid",
    ),
    Background(
        "indian",
        6.0,
        _t(
            "Simran Priya Anika Riya Jasleen Harleen Diya Anaya Saanvi Kiran Navneet Amrit "
            "Ishani Meera Aanya Jasmine Tara"
        ),
        _t(
            "Aarav Arjun Vihaan Rohan Harjot Gurveer Ishaan Dev Kabir Ranveer Jaskaran Arnav "
            "Krish Neil Sahib Rishi Aryan"
        ),
        _t(
            "Patel Singh Sharma Gill Sandhu Sidhu Kumar Mistry Chauhan Bains Johal Dhillon "
            "Parmar Joshi Shah Bhatti Grewal Virdi Modi"
        ),
        _t("Sunita Rajinder Pooja Harpreet Manjit Neha Kamaljit Anjali Parminder Deepa"),
        _t("Rajesh Sukhvinder Amit Gurpreet Sanjay Jatinder Vikram Harjinder Nikesh Ravi"),
        _t("Kuldip Surinder Shanti Pushpa"),
        _t("Balwinder Mohan Ramesh Karnail"),
        "diwali",
    ),
    Background(
        "african_caribbean",
        9.0,
        _t(
            "Amara Chioma Adaeze Zuri Nia Tiana Ayomide Temi Esme Kemi Abena Imani Destiny "
            "Precious Kiara Oluwatoyin Favour Jada Tobiloba Ife Nneka Akua"
        ),
        _t(
            "Tobi Chidi Kwame Kofi Tyrese Jaden Malachi Emmanuel David Daniel Joshua Samuel "
            "Elijah Isaiah Ayo Femi Oluwatobiloba Oluwadamilare Tendai Kayden Nathaniel Jermaine"
        ),
        _t(
            "Okafor Adeyemi Mensah Owusu Boateng Nwosu Okonkwo Adebayo Campbell Francis Clarke "
            "Thomas Grant Reid Brown Williams Asante Osei Eze Bailey Oyelaran Moyo Johnson "
            "Afolabi Ogunleye Mbeki Richards Dacosta Forbes"
        ),
        _t("Grace Blessing Funmi Chiamaka Adwoa Marcia Sharon Yetunde Abigail Joy Ngozi Tanya"),
        _t("Emeka Kwabena Olumide Tunde Marcus Winston Delroy Segun Kelechi Andre Kofi Samuel"),
        _t("Beverley Comfort Mercy Gloria Hyacinth"),
        _t("Errol Festus Joseph Lloyd Augustine"),
    ),
    Background(
        "eastern_european",
        8.0,
        _t(
            "Zofia Oliwia Maja Hanna Lena Natalia Wiktoria Alicja Maria Ioana Andreea Elena "
            "Darya Sofiia Zuzanna Antonina Anastasia Emilia"
        ),
        _t(
            "Jakub Szymon Filip Kacper Antoni Mikołaj Andrei Luca Matei Denys Maksym Franciszek "
            "Wojciech Tymon Stefan Bogdan Nikita Oskar"
        ),
        _t(
            "Nowak Wójcik Kowalczyk Mazur Krawczyk Zając Wróbel Dudek Pawlak Popescu Ionescu "
            "Stan Dumitru Munteanu Shevchenko Bondarenko Kovalenko Tkachenko Melnyk Horvath "
            "Novak Kaminski Baran"
        ),
        _t("Agnieszka Katarzyna Magdalena Joanna Monika Mihaela Alina Olena Iryna Ewelina"),
        _t("Tomasz Paweł Krzysztof Marcin Piotr Mihai Ionut Oleksandr Dmytro Marek"),
        _t("Halina Krystyna Lyudmila Elena"),
        _t("Janusz Zbigniew Viktor Gheorghe"),
    ),
    Background(
        "middle_eastern_somali",
        5.0,
        _t("Layla Yasmin Hana Maryam Sara Amina Hodan Ayan Elif Zeynep Ela Nour Rania Salma"),
        _t("Omar Yusuf Ahmed Adam Mustafa Abdirahman Mohamed Emir Kerem Karim Zakaria Idris"),
        _t(
            "Mohamed Ali Hassan Abdi Farah Warsame Osman Yilmaz Demir Kaya Haddad Mansour "
            "Saleh Rahimi Ahmadi Nur Aziz"
        ),
        _t("Fadumo Hawa Leyla Ayşe Dalia Samira Ikram Sahra Fatma"),
        _t("Abdullahi Said Mehmet Hussein Nabil Ahmed Khalid Ibrahim Murat"),
        _t("Halimo Emine Aziza"),
        _t("Abdikadir Mahmoud Hasan"),
        "eid",
    ),
    Background(
        "east_asian",
        3.0,
        _t("Chloe Emily Grace Mei Xinyi Linh Hoa Yuki Ruby Evie Jasmine Wen"),
        _t("Ethan Jayden Ryan Hao Minh Kai Jun Lucas Max Aiden Bao Tian"),
        _t("Wang Li Zhang Chen Liu Huang Wong Nguyen Tran Le Lam Cheung Yang Pham"),
        _t("Mei Ling Hui Thu Xiaoling Jenny Lan Yan"),
        _t("Wei Jian Tuan Ming Kevin Hung Feng Peter"),
        _t("Ying Hoa"),
        _t("Chun Van"),
    ),
)

#: Preferred forenames an office uses for some legal ones.
PREFERRED: dict[str, tuple[str, ...]] = {
    "Alexander": ("Alex", "Xander"),
    "Oliver": ("Ollie",),
    "Thomas": ("Tom", "Tommy"),
    "William": ("Will", "Billy"),
    "Charlotte": ("Lottie",),
    "Samuel": ("Sam",),
    "Joshua": ("Josh",),
    "Isabella": ("Bella", "Izzy"),
    "Florence": ("Flo",),
    "Matilda": ("Tilly",),
    "Eleanor": ("Ellie", "Nell"),
    "Jakub": ("Kuba",),
    "Zofia": ("Zosia",),
    "Oluwatobiloba": ("Tobi",),
    "Oluwadamilare": ("Dami",),
    "Oluwatoyin": ("Toyin",),
    "Tobiloba": ("Tobi",),
    "Abdirahman": ("Abdi",),
    "Franciszek": ("Franek",),
    "Nathaniel": ("Nate",),
    "Zakariya": ("Zak",),
    "Frankie": ("Frank",),
}

STREETS = _t(
    "Oak Cedar Willow Church Mill Park Station Victoria Albert Springfield Meadow Elm Grange "
    "Brook Hawthorn Laburnum Mayfield Windsor Stratford Coventry Kingsway Highgate Sandford "
    "Ashfield Holly Lime Chestnut Poplar Clifton Malvern Beacon Foxglove Rookery Wharf"
)
STREET_KINDS = _t("Road Street Avenue Close Lane Grove Crescent Drive Way Gardens Place")
DISTRICTS = ("Brookfield", "Hall Green", "Sparkhill", "Acocks Green", "Moseley", "Tyseley")
POSTCODE_AREAS = ("B11", "B12", "B13", "B25", "B27", "B28")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

OTHER_SCHOOLS: tuple[str, ...] = (
    "Kingsway Academy",
    "Hollybank Primary School",
    "St Bernadette's Catholic Primary School",
    "Moorcroft Park Academy",
    "Greenfields Sixth Form College",
    "Ladywood Nursery School",
    "Springfield Junior and Infant School",
    "Hall Green Girls' School",
)

SOCIAL_WORK_TEAMS = (
    "Birmingham Children's Trust, South team",
    "Birmingham Children's Trust, Children in Care team",
    "Birmingham Children's Trust, Family Support",
)

LEAVE_REASONS = (
    "Family funeral",
    "Parent's wedding",
    "Sibling's graduation ceremony",
    "Attending a parent's citizenship ceremony",
    "Visiting a seriously ill grandparent",
    "Court hearing: required as a witness",
)

ACTIVITY_REASONS = (
    "Music exam at the Conservatoire",
    "Inter-school maths challenge",
    "County choir rehearsal",
    "STEM day at the university",
    "Young Enterprise regional final",
    "Reading ambassadors training at the library",
)

COURT_ORDER_NOTES = (
    "Prohibited steps order dated {date}: must not collect the child. Copy on file.",
    "Non-molestation order dated {date}: no contact, give no information. Copy on file.",
    "Child arrangements order dated {date}: supervised contact only, never release the child.",
)
